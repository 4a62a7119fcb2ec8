/** The public face of the push module. */
export { PushModule } from './push.module.js';
export { PushDeviceStatsReader } from './stats/push-device-stats.reader.js';
