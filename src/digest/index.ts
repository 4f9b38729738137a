export * from './digest.js';
export * from './subscribe.js';
export * from './subscriptions.js';
