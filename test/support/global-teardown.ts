import { admin } from './databases';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.TRELLIS_TEST_TEMPLATE;
  if (template) await admin((c) => c.query(`drop database if exists ${template} with (force)`));
}
