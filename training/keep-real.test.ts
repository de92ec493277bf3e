/**
 * Runs training/test_keep_real.py (the pull towards the start network on real photos: zero for the
 * teacher, the analytic value for a shifted log-depth, never the judged or held-out photos) with
 * Debian's interpreter; a few seconds.
 */
import { pythonUnittest } from './python-unittest.ts';

pythonUnittest('keeping the start network on real photos', 'test_keep_real');
