export { World, Violation, isFairAction, type WorldObserver } from './World.js';
export { intentCommands, type IntentCommand, type IntentName, type IntentWeights } from './intentCommands.js';
