'use strict';

const express = require('express');

const app = express();
app.get('/', (req, res) => res.json({ app: 'express', node: process.versions.node.split('.')[0] }));
app.get('/sum', (req, res) => res.send(`sum=${Number(req.query.a) + Number(req.query.b)}\n`));

app.listen(3000, '0.0.0.0', () => console.log('listening on :3000'));
