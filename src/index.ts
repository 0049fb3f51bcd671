export * from './core/profile';
export * from './core/justification';
export * from './core/encryption';
export * from './compliance/compliance';
export * from './function/secure-function';
export * from './secrets/secure-secret';
