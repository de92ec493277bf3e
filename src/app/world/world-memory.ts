/**
 * The shown world's memory of generated views (posed frames), kept beside its splats so a saved
 * .worldsplat bundle holds both, and so a reopened bundle starts where its first view was taken.
 */
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import type { PosedFrame } from '../../core/posed-frame.ts';
import { PosedFrameMemory } from '../../world/memory/posed-frame-memory.ts';
import type { ViewState } from '../camera/view-state.ts';
import { viewFromPose } from '../camera/view-state.ts';
import type { ViewMessage } from '../generate/generate-protocol.ts';

/**
 * The frame record of a view generated at the world's origin (photo or words), owning splats
 * [0, splatCount): the same record `worldsplat generate` writes as a world's first frame.
 */
export function firstFrameOf(view: ViewMessage, splatCount: number, prompt: string | null = null): PosedFrame {
  const { image, depth, confidence, fovDeg } = view;
  // The memory marks sky and unknown depth as 0 (generate.ts frameOfView does the same).
  const known = Float32Array.from(depth.data, (d) => (Number.isFinite(d) && d > 0 ? d : 0));
  return new PosedFrameMemory().add(
    {
      pose: Pose.identity(),
      intrinsics: intrinsicsFromFov(image.width, image.height, fovDeg),
      image,
      depth: { ...depth, data: known },
      confidence: confidence ?? undefined,
      prompt,
    },
    { splatStart: 0, splatCount },
  );
}

/** Standing where a frame was taken, with its vertical field of view. */
export function viewOfFrame(frame: PosedFrame): ViewState {
  const { height, fy } = frame.intrinsics;
  const fovDeg = (2 * Math.atan(height / 2 / fy) * 180) / Math.PI;
  return viewFromPose(frame.pose, Math.round(fovDeg * 1000) / 1000);
}
