'use strict';

const http = require('node:http');
const { adler32 } = require('./build/Release/adler32.node');

http
  .createServer((req, res) => {
    const text = decodeURIComponent(req.url.slice(1)) || 'build lab';
    res.end(`adler32(${text})=${adler32(text).toString(16)}\n`);
  })
  .listen(3000, () => console.log('listening on :3000'));
