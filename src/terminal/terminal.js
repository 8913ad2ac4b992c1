// The terminal of `kubectl exec -it` sessions: xterm.js on a WebSocket to the proxy's
// /api/terminal, driven from Rust through `window.KubeficheTerminal`. The messages of the
// protocol (the hello, resizes, the proxy's events) are written and read by Rust; here only
// bytes flow: keystrokes out as binary frames, output in as binary frames.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";

const BASE_FONT = 14;

// The page's type scale (projector mode makes it larger), from the CSS custom property.
function scale() {
  const value = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--scale"));
  return Number.isFinite(value) && value > 0 ? value : 1;
}

class Session {
  // hooks: hello(cols, rows) -> string, resize(cols, rows) -> string, event(text),
  // closed(), label (the accessible name of the terminal).
  constructor(parent, hooks) {
    this.hooks = hooks;
    this.encoder = new TextEncoder();
    this.term = new Terminal({
      fontSize: Math.round(BASE_FONT * scale()),
      fontFamily: getComputedStyle(parent).fontFamily || "monospace",
      cursorBlink: true,
      screenReaderMode: true,
      scrollback: 5000,
    });
    this.fit = new FitAddon();
    this.term.loadAddon(this.fit);
    this.term.open(parent);
    const input = this.term.textarea;
    if (input) input.setAttribute("aria-label", hooks.label);
    this.leaveKeys();
    this.refit();

    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    this.socket = new WebSocket(scheme + location.host + "/api/terminal");
    this.socket.binaryType = "arraybuffer";
    this.socket.onopen = () => {
      this.refit();
      this.socket.send(hooks.hello(this.term.cols, this.term.rows));
      this.term.focus();
    };
    this.socket.onmessage = (message) => {
      if (message.data instanceof ArrayBuffer) this.term.write(new Uint8Array(message.data));
      else hooks.event(message.data);
    };
    this.socket.onclose = () => hooks.closed();
    this.term.onData((data) => this.send(this.encoder.encode(data)));
    // Some mouse reports are raw bytes, one per character.
    this.term.onBinary((data) => this.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    this.term.onResize(({ cols, rows }) => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(hooks.resize(cols, rows));
    });

    this.observer = new ResizeObserver(() => this.refit());
    this.observer.observe(parent);
    // Projector mode switched on or off: larger or smaller type, then refit.
    this.projector = new MutationObserver(() => {
      const size = Math.round(BASE_FONT * scale());
      if (this.term.options.fontSize !== size) {
        this.term.options.fontSize = size;
        this.refit();
      }
    });
    this.projector.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  }

  send(bytes) {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(bytes);
  }

  refit() {
    try {
      this.fit.fit();
    } catch {
      // Not laid out yet (a hidden pane): the next resize fits it.
    }
  }

  // Tab belongs to the terminal (completion in the shell); Escape then Tab (or Shift+Tab)
  // leaves it, as in the editor. The Escape still reaches the program, as a terminal does.
  leaveKeys() {
    let armed = false;
    this.term.attachCustomKeyEventHandler((event) => {
      if (event.type !== "keydown") return true;
      if (event.key === "Escape") {
        armed = true;
        return true;
      }
      if (event.key === "Tab" && armed && !event.ctrlKey && !event.altKey && !event.metaKey) {
        armed = false;
        return false;
      }
      if (!["Shift", "Control", "Alt", "Meta"].includes(event.key)) armed = false;
      return true;
    });
  }

  focus() {
    this.term.focus();
  }

  // A line from kubefiche itself (not from the pod), dimmed.
  say(text) {
    this.term.write("\r\n\x1b[2m" + text.replace(/\n/g, "\r\n") + "\x1b[0m\r\n");
  }

  // Ends the session: the proxy kills kubectl when the socket closes.
  close() {
    this.socket.onclose = null;
    this.socket.onmessage = null;
    if (this.socket.readyState <= WebSocket.OPEN) this.socket.close(1000);
  }

  dispose() {
    this.close();
    this.observer.disconnect();
    this.projector.disconnect();
    this.term.dispose();
  }
}

window.KubeficheTerminal = {
  open(parent, hooks) {
    return new Session(parent, hooks);
  },
};
