// Preload (node --require) that keeps a server which never names a host on the loopback interface:
// net.Server#listen(port[, host][, backlog][, cb]) or listen({port}) without a host gets host 127.0.0.1.
'use strict';
const net = require('net');
const original = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    if (first.port !== undefined && first.path === undefined && !first.host) {
      args[0] = { ...first, host: '127.0.0.1' };
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string' || args[1] === '') {
      // listen(port), listen(port, cb), listen(port, undefined, cb), listen(port, backlog, cb)
      if (args.length >= 2 && (args[1] === undefined || args[1] === null || args[1] === '')) args[1] = '127.0.0.1';
      else args.splice(1, 0, '127.0.0.1');
    }
  }
  return original.apply(this, args);
};
