// Partner Hub: <partner-hub-portal src-url="…"> puts the embedded client portal on a partner's
// page (docs/embedding.md). It only makes the iframe: the portal itself runs on the hub's origin.
(() => {
  if (customElements.get('partner-hub-portal')) return;

  class PartnerHubPortal extends HTMLElement {
    static observedAttributes = ['src-url', 'title', 'height'];

    connectedCallback() {
      this.render();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.render();
    }

    render() {
      const src = this.getAttribute('src-url');
      if (!src) return;
      let frame = this.querySelector('iframe');
      if (!frame) {
        frame = document.createElement('iframe');
        frame.style.border = '0';
        frame.style.width = '100%';
        frame.style.display = 'block';
        this.append(frame);
      }
      frame.title = this.getAttribute('title') || 'WhatsApp numbers';
      frame.style.height = this.getAttribute('height') || '720px';
      // The link works once: setting the same URL again would only show "link used".
      if (frame.dataset.src !== src) {
        frame.dataset.src = src;
        frame.src = src;
      }
    }
  }

  customElements.define('partner-hub-portal', PartnerHubPortal);
})();
