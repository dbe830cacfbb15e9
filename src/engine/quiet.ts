import * as tf from '@tensorflow/tfjs-core';

// tfjs prints a banner suggesting tfjs-node the first time the cpu backend holds
// data, and other warnings meant for developers of tfjs; tlx reports its backend
// itself. PROD silences them (it disables nothing tlx relies on).
tf.env().set('PROD', true);
