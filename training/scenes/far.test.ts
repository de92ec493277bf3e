/**
 * Runs training/scenes/test_far.py (the far kinds, lake and plain: drawn only for training seeds, and
 * showing land beyond 50 m) with Debian's interpreter; a few seconds.
 */
import { pythonUnittest } from '../python-unittest.ts';

pythonUnittest('far-field training scenes', 'scenes.test_far');
