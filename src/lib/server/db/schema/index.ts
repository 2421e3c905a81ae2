export * from './users.ts';
export * from './teams.ts';
export * from './api-tokens.ts';
export * from './instance.ts';
export * from './rate-limits.ts';
export * from './projects.ts';
export * from './deployments.ts';
export * from './aliases.ts';
