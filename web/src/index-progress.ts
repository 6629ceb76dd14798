// Live indexing progress for one album: polls index_progress/{k} while a job runs and renders a
// bar, the step text, the ETA and a Cancel button. Cancel shows "Indexing cancelled by user" at
// once, before the server's next poll confirms it (features-spec §1.3, backend-spec §4.9).
import { Api, ApiError, type IndexProgress } from "./api";
import { h } from "./dom";
import { describeProgress, isRunning } from "./format";

export const CANCELLED_TEXT = "Indexing cancelled by user";

export class IndexProgressView {
  readonly el: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly text: HTMLElement;
  private readonly eta: HTMLElement;
  private readonly cancelBtn: HTMLButtonElement;
  private timer: number | null = null;
  private cancelled = false;
  private stopped = true;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly api: Api,
    private readonly key: string,
    private readonly onFinished: (p: IndexProgress | null) => void,
    private readonly intervalMs = 500,
  ) {
    this.fill = h("div", { class: "progress-fill" });
    this.bar = h(
      "div",
      { class: "progress-bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-label": `Indexing progress for ${key}` },
      this.fill,
    );
    this.text = h("div", { class: "progress-text" });
    this.eta = h("div", { class: "progress-eta" });
    this.cancelBtn = h("button", { class: "btn btn-red", type: "button" }, "Cancel");
    this.cancelBtn.addEventListener("click", () => void this.cancel());
    this.el = h("div", { class: "index-progress", hidden: true, "data-album": key }, this.bar, this.text, this.eta, this.cancelBtn);
  }

  // Starts polling (after a successful update_index_async/ or when a running job is found).
  attach(): void {
    if (!this.stopped) return; // already following this job
    this.cancelled = false;
    this.stopped = false;
    this.el.hidden = false;
    this.cancelBtn.hidden = false;
    this.render({ tone: "scanning", text: "Preparing index update…", eta: "", percent: null });
    void this.poll();
  }

  // Checks once for a job started elsewhere (another tab, the CLI) and attaches to it.
  async probe(): Promise<void> {
    try {
      const p = await this.api.indexProgress(this.key);
      if (isRunning(p)) this.attach();
      else if (p.status === "error" || (p.status === "completed" && p.warning_message)) this.show(p);
    } catch {
      // No progress route (older server) or no album: nothing to show.
    }
  }

  // Resolves when the job being followed ends (at once when none is followed).
  finished(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  // Shows a failure to start (the job never ran).
  showError(message: string): void {
    this.stop();
    this.el.hidden = false;
    this.cancelBtn.hidden = true;
    this.render({ tone: "error", text: `Error: ${message}`, eta: "", percent: null });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.waiters.splice(0)) w();
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    let p: IndexProgress;
    try {
      p = await this.api.indexProgress(this.key);
    } catch (e) {
      if (this.stopped) return;
      const msg = e instanceof ApiError ? e.detail : String(e);
      this.render({ tone: "error", text: `Error: ${msg}`, eta: "", percent: null });
      this.finish(null);
      return;
    }
    if (this.stopped || this.cancelled) return;
    this.show(p);
    if (isRunning(p)) {
      this.timer = window.setTimeout(() => void this.poll(), this.intervalMs);
    } else {
      this.finish(p);
    }
  }

  private show(p: IndexProgress): void {
    this.el.hidden = false;
    this.cancelBtn.hidden = !isRunning(p);
    this.render(describeProgress(p));
  }

  private finish(p: IndexProgress | null): void {
    this.stop();
    this.cancelBtn.hidden = true;
    this.onFinished(p);
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    this.stop();
    this.cancelBtn.hidden = true;
    this.render({ tone: "error", text: CANCELLED_TEXT, eta: "", percent: null });
    try {
      await this.api.cancelIndex(this.key);
    } catch (e) {
      // 404 "No active operation": the job had just ended; the message stays truthful enough,
      // but say so.
      if (e instanceof ApiError && e.status === 404) {
        this.render({ tone: "warning", text: "Nothing to cancel: the indexing had already finished.", eta: "", percent: null });
      }
    }
    this.onFinished(null);
  }

  private render(v: { tone: string; text: string; eta: string; percent: number | null }): void {
    this.el.dataset.tone = v.tone;
    this.text.textContent = v.text;
    this.eta.textContent = v.eta;
    this.eta.hidden = v.eta === "";
    if (v.percent === null) {
      this.bar.classList.add("indeterminate");
      this.bar.removeAttribute("aria-valuenow");
      this.fill.style.width = "100%";
    } else {
      this.bar.classList.remove("indeterminate");
      this.bar.setAttribute("aria-valuenow", String(Math.round(v.percent)));
      this.fill.style.width = `${v.percent}%`;
    }
  }
}
