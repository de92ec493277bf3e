/**
 * Runs training/test_average.py (checkpoint averaging against hand-computed means) with
 * Debian's interpreter; a second.
 */
import { pythonUnittest } from './python-unittest.ts';

pythonUnittest('checkpoint averaging', 'test_average');
