/**
 * Runs training/test_malloc_settings.py (a training script restarts once with glibc's memory settings,
 * keeps its arguments, a user's own settings win) with Debian's interpreter; a second.
 */
import { pythonUnittest } from './python-unittest.ts';

pythonUnittest("the training scripts' memory settings", 'test_malloc_settings');
