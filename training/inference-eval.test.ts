/**
 * Runs training/test_inference_eval.py (the app's padding, field of view and mirror average as
 * inference_eval.py models them, against hand-worked cases) with Debian's interpreter; a second.
 */
import { pythonUnittest } from './python-unittest.ts';

pythonUnittest('inference settings as the app runs them', 'test_inference_eval');
