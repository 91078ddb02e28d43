export { DemoModule } from './demo.module';
export {
  DemoService,
  DEMO_SLUG,
  DEMO_PASSWORD,
  type DemoLogin,
  type DemoRound,
} from './demo.service';
export { demoRosterCsv, DEMO_TEAMS, DEMO_DOMAIN, leaderEmail } from './demo-roster';
export { SyntheticLoader, type SyntheticLoadSummary } from './synthetic.loader';
