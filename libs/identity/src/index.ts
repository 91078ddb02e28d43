export { IdentityModule } from './identity.module';
export { AuthService, MIN_PASSWORD_LENGTH } from './auth.service';
export { API_TOKEN_NAME_MAX, ApiTokensService, type ApiTokenView } from './api-tokens.service';
export { SessionStore } from './session.store';
export type { Principal } from './principal';
export { hashPassword } from './secrets';
