/**
 * Runs training/scenes/test_pinned.py (a few seeds of every scene kind rendered small and compared with
 * the pictures pinned before the generator's speed work) with Debian's interpreter; a few seconds.
 */
import { pythonUnittest } from '../python-unittest.ts';

pythonUnittest('pinned training scenes', 'scenes.test_pinned');
