/**
 * Runs training/test_real_shape.py (the ground-plane angle of real_shape.py against analytic
 * planes) with Debian's interpreter; a second.
 */
import { pythonUnittest } from './python-unittest.ts';

pythonUnittest('real-photo shape screen', 'test_real_shape');
