import { operationSelector } from '../operationSelector';
import { agentSetOnlineOperation } from './setOnline';

export const agentOperations = operationSelector('agent', [agentSetOnlineOperation], 'setOnline');
