/**
 * The one-step sampler of SD-Turbo, from the numbers in the pipeline entry. SD-Turbo was distilled to
 * denoise pure noise in a single step at timestep 999; the reference (diffusers' EulerDiscreteScheduler
 * with timestep_spacing 'trailing', which SD-Turbo's scheduler_config.json names) then does:
 *
 *   betas     = linspace(sqrt(betaStart), sqrt(betaEnd), trainSteps)^2       ('scaled_linear')
 *   abar(t)   = prod_{i <= t} (1 - beta_i)
 *   sigma     = sqrt((1 - abar) / abar)                                        (14.6146 at t = 999)
 *   noise     = standard normal * init_noise_sigma, which for 'trailing' spacing is sigma itself
 *   x         = noise / sqrt(sigma^2 + 1)  = noise * sqrt(abar)                (scale_model_input)
 *   eps       = unet(x, t, text)
 *   x0        = (x - sqrt(1 - abar) * eps) / sqrt(abar)  = noise - sigma * eps (Euler step to sigma 0)
 *
 * All in float64 here; only the tensors handed to the model are float32 (or float16).
 */
import { seededRandom } from '../../core/random.ts';
import type { SchedulerSpec } from './spec.ts';

export interface OneStepSchedule {
  timestep: number;
  /** Cumulative product of (1 - beta) up to and including the timestep. */
  alphaBar: number;
  sigma: number;
  /** Standard deviation of the starting latent (diffusers' init_noise_sigma). */
  initSigma: number;
}

export function oneStepSchedule(spec: SchedulerSpec): OneStepSchedule {
  const n = spec.trainSteps;
  const a = Math.sqrt(spec.betaStart);
  const b = Math.sqrt(spec.betaEnd);
  let alphaBar = 1;
  for (let i = 0; i <= spec.timestep; i++) {
    const beta = (a + ((b - a) * i) / (n - 1)) ** 2;
    alphaBar *= 1 - beta;
  }
  const sigma = Math.sqrt((1 - alphaBar) / alphaBar);
  // 'trailing' (and 'linspace') spacing: init_noise_sigma = sigma_max; 'leading' would be sqrt(sigma^2 + 1).
  return { timestep: spec.timestep, alphaBar, sigma, initSigma: sigma };
}

/**
 * `count` independent standard normal numbers from a seed (Box-Muller over core/random's generator),
 * the same on every machine. SD-Turbo's pictures are not the same as PyTorch's for the same seed: only
 * reproducible within this program.
 */
export function seededNormal(seed: number, count: number): Float64Array {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed: expected an integer from 0 to 4294967295, found ${seed}`);
  const uniform = seededRandom(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    // 1 - u is in (0, 1]: the logarithm never sees 0.
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** The starting latent: seeded standard normal noise times init_noise_sigma. */
export function initialLatent(seed: number, count: number, schedule: OneStepSchedule): Float64Array {
  const noise = seededNormal(seed, count);
  for (let i = 0; i < count; i++) noise[i] *= schedule.initSigma;
  return noise;
}

/** What the denoiser is fed: the latent scaled to unit variance, x = latent / sqrt(sigma^2 + 1). */
export function modelInput(latent: Float64Array, schedule: OneStepSchedule): Float64Array {
  const scale = 1 / Math.sqrt(schedule.sigma * schedule.sigma + 1);
  return latent.map((v) => v * scale);
}

/** The clean latent predicted from the model input x and the predicted noise eps (epsilon prediction). */
export function predictOriginal(x: Float64Array, eps: ArrayLike<number>, schedule: OneStepSchedule): Float64Array {
  if (eps.length !== x.length) throw new Error(`scheduler: expected ${x.length} noise values, found ${eps.length}`);
  const s0 = Math.sqrt(schedule.alphaBar);
  const s1 = Math.sqrt(1 - schedule.alphaBar);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - s1 * eps[i]) / s0;
  return out;
}
