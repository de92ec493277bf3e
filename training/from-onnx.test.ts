/**
 * Runs training/test_from_onnx.py (a network with BatchNorm statistics of its own exported as export.py
 * does, rebuilt by from_onnx.py: the same outputs in eval mode, nearly the same in training mode, a
 * network of another shape refused) with Debian's interpreter; about 15 seconds.
 */
import { pythonUnittest } from './python-unittest.ts';

pythonUnittest('a trainable checkpoint rebuilt from the exported ONNX', 'test_from_onnx');
