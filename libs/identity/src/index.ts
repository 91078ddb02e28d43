export { IdentityModule } from './identity.module';
export { AuthService, MIN_PASSWORD_LENGTH } from './auth.service';
export { API_TOKEN_NAME_MAX, ApiTokensService, type ApiTokenView } from './api-tokens.service';
export { SessionStore } from './session.store';
export type { Principal } from './principal';
export { hashPassword } from './secrets';
export {
  SignInLinksService,
  SIGN_IN_LINK_PREFIX,
  LINK_LIFETIME_HOURS,
  signInMail,
  type SignInLinkPurpose,
  type SignInLinkView,
} from './sign-in-links.service';
