/**
 * Runs training/scenes/test_sky.py (photographic skies: dome mapping against its definition, outdoor
 * kinds only, geometry unchanged, sky table, cache key) with Debian's interpreter; a few seconds.
 */
import { pythonUnittest } from '../python-unittest.ts';

pythonUnittest('photographic skies in the training scenes', 'scenes.test_sky');
