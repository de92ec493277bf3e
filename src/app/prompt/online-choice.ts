/**
 * What the prompt box says about the online text-to-image path (SD-Turbo, opt-in): one line of
 * availability and the licence notice. Pure: it reads the availability src/model/text-to-image
 * computes (no network) and turns it into the words shown; the notice is always shown when the
 * licence is known, available or not, so nobody opts in without seeing "non-commercial".
 */
import type { TextToImageAvailability } from '../../model/text-to-image/index.ts';

export interface OnlineChoice {
  available: boolean;
  /** 'ready: …' or 'unavailable: … -> built-in' */
  line: string;
  /** the licence in one line ('…: non-commercial use only (url)'), or null when the entry is unknown */
  notice: string | null;
}

/** 2684354560 -> '2.5 GiB', 4718592 -> '4.5 MiB', 3072 -> '3 KiB' */
export function byteSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}

export function describeOnline(a: TextToImageAvailability): OnlineChoice {
  if (a.available) {
    return { available: true, line: `ready: ${a.pipeline.name} on ${a.provider}, ${byteSize(a.downloadBytes)} downloaded once on first use`, notice: a.licenceNotice };
  }
  return { available: false, line: `unavailable: ${a.reason} -> built-in generator`, notice: a.licenceNotice ?? null };
}
