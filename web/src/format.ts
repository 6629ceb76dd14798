// Text formatting for indexing progress, ETA, dates and scores (pure functions, unit-tested).
import type { IndexProgress } from "./api";

// "45s", "2m 5s", "1h 2m"; "" for null/negative/non-finite.
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export const RUNNING_STATUSES = new Set(["scanning", "downloading", "indexing", "mapping", "curating"]);

export function isRunning(p: IndexProgress | null): boolean {
  return !!p && RUNNING_STATUSES.has(p.status);
}

export type ProgressTone = "scanning" | "downloading" | "indexing" | "mapping" | "done" | "warning" | "error" | "idle";

export interface ProgressView {
  tone: ProgressTone;
  text: string; // main line
  eta: string; // "Estimated time remaining: 1h 2m" or ""
  percent: number | null; // null = indeterminate bar
}

// Renders one index_progress reply as the album manager shows it (features-spec §1.3).
export function describeProgress(p: IndexProgress): ProgressView {
  const pct = Math.max(0, Math.min(100, Number(p.progress_percentage) || 0));
  switch (p.status) {
    case "scanning":
      return { tone: "scanning", text: p.current_step || "Scanning…", eta: "", percent: null };
    case "downloading":
      return { tone: "downloading", text: "Downloading encoder model…", eta: "", percent: pct };
    case "indexing": {
      const eta = formatEta(p.estimated_time_remaining);
      return {
        tone: "indexing",
        text: `${p.current_step || "Indexing"} (${p.images_processed}/${p.total_images})`,
        eta: eta ? `Estimated time remaining: ${eta}` : "",
        percent: pct,
      };
    }
    case "mapping":
      return { tone: "mapping", text: "Generating image map…", eta: "", percent: null };
    case "curating":
      return { tone: "mapping", text: p.current_step || "Curating…", eta: "", percent: null };
    case "completed":
      if (p.warning_message) return { tone: "warning", text: p.warning_message, eta: "", percent: 100 };
      return { tone: "done", text: p.current_step || "Indexing completed successfully", eta: "", percent: 100 };
    case "error":
      return { tone: "error", text: `Error: ${p.error_message || "indexing failed"}`, eta: "", percent: null };
    default:
      return { tone: "idle", text: p.current_step || "No operation in progress", eta: "", percent: null };
  }
}

export function formatDate(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds) || epochSeconds <= 0) return "";
  const d = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// The position pill: "3/120" or "3/100 (score=0.2906)".
export function formatPosition(pos: number, total: number, score?: number | null): string {
  const base = total > 0 ? `${pos + 1}/${total}` : "0/0";
  return score === undefined || score === null ? base : `${base} (score=${score.toFixed(4)})`;
}
