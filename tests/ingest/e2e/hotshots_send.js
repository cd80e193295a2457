// Sends known counts with the npm DogStatsD client hot-shots (tags, timers, histograms).
'use strict';
const StatsD = require('hot-shots');

const port = Number(process.argv[2]);
const client = new StatsD({
  host: '127.0.0.1',
  port,
  globalTags: { tier: 'l2' },
  errorHandler: (err) => {
    console.error(err);
    process.exit(1);
  },
});
for (let i = 0; i < 40; i++) {
  client.increment('cache.hit', 2, { class: 'orders' });
}
client.increment('cache.miss', 5, { class: 'orders', key: 'order:1' });
client.increment('cache.load', 5, { class: 'orders', key: 'order:1' });
client.timing('cache.load.time', 30, { class: 'orders' });
client.histogram('cache.load.time', 300, { class: 'orders' });
client.distribution('cache.load.time', 3000, { class: 'orders' });
client.increment('cache.coalesced', 11, { class: 'orders' });
client.increment('cache.stale', 4, { class: 'orders' });
client.increment('cache.lock_wait', 6, { class: 'orders' });
client.close((err) => process.exit(err ? 1 : 0));
