'use strict';

const semver = require('semver');

const releases = ['1.2.3', '1.10.0', '2.0.0-rc.1', '1.9.9'];
const range = process.argv[2] || '^1.2.0';
console.log(`best match for ${range}: ${semver.maxSatisfying(releases, range)}`);
