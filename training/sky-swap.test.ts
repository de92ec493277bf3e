/**
 * Runs training/test_sky_swap.py (the sky replacement of training batches: ground untouched, the photo's
 * horizon on the lowest sky row, sunset grading warm at the horizon; procedural skies varied, only sky
 * pixels changed) with Debian's interpreter; a second.
 */
import { pythonUnittest } from './python-unittest.ts';

pythonUnittest('sky replacement in training batches', 'test_sky_swap');
