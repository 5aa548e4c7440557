//! Saving on SIGTERM, SIGHUP and SIGINT (shutdown, logout, Ctrl+C in the terminal).
//!
//! The signal handlers do no work of their own: one sets a flag (signal-hook's
//! `flag::register`), and signal-hook's self-pipe wakes a small thread that asks the window
//! for a frame (`request_repaint`). The frame loop sees [`ExitSignals::received`], saves the
//! pending edits the normal way, and closes the window. A second signal while that is under
//! way ends the process at once (with status 1), so a stuck save can still be interrupted.
//!
//! Limitations: Unix only (elsewhere [`ExitSignals::install`] gives nothing to watch);
//! SIGKILL cannot be caught, so an edit younger than the autosave delay is still lost then.
//!
//! This module must not touch a document, draw, or do I/O in a handler.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use eframe::egui;

/// The exit signals received, shared with the thread that wakes the window.
#[derive(Clone, Debug, Default)]
pub struct ExitSignals {
    received: Arc<AtomicBool>,
    ctx: Arc<OnceLock<egui::Context>>,
}

impl ExitSignals {
    /// Installs the handlers and starts the waking thread. On failure (or off Unix) the
    /// window runs as before, without saving on signals.
    pub fn install() -> std::io::Result<Self> {
        let this = Self::default();
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            const SIGNALS: [i32; 3] = [SIGTERM, SIGHUP, SIGINT];
            for sig in SIGNALS {
                // Order matters: a signal arriving when the flag is already set (the second
                // one) exits; the first one only sets it.
                signal_hook::flag::register_conditional_shutdown(
                    sig,
                    1,
                    Arc::clone(&this.received),
                )?;
                signal_hook::flag::register(sig, Arc::clone(&this.received))?;
            }
            let mut signals = signal_hook::iterator::Signals::new(SIGNALS)?;
            let ctx = Arc::clone(&this.ctx);
            std::thread::Builder::new()
                .name("factmark-signals".into())
                .spawn(move || {
                    for _ in signals.forever() {
                        if let Some(ctx) = ctx.get() {
                            ctx.request_repaint();
                        }
                    }
                })?;
        }
        Ok(this)
    }

    /// The window to wake when a signal arrives (set once, on the first frame).
    pub fn set_context(&self, ctx: &egui::Context) {
        let _ = self.ctx.set(ctx.clone());
    }

    /// True once SIGTERM, SIGHUP or SIGINT arrived.
    pub fn received(&self) -> bool {
        self.received.load(Ordering::SeqCst)
    }

    /// Marks a signal as received, as the handler does (for tests of the frame loop).
    pub fn simulate(&self) {
        self.received.store(true, Ordering::SeqCst);
    }
}
