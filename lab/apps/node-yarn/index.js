'use strict';

const Koa = require('koa');

const app = new Koa();
app.use(async (ctx) => {
  ctx.body = { app: 'koa', installedWith: 'yarn', path: ctx.path };
});
app.listen(3000, () => console.log('listening on :3000'));
