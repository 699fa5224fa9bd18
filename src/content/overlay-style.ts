/**
 * Styles of the shadow root. `:host { all: initial }` keeps the page's CSS
 * (inherited fonts, colours, `* { … }` rules) from reaching our boxes; the
 * boxes are position: fixed so the host takes no room in the page's layout.
 */
export const OVERLAY_CSS = `
:host{all:initial!important}
*{box-sizing:border-box}
[hidden],.toast:empty{display:none!important}
.banner,.note,.toast{position:fixed;z-index:2147483647;display:flex;gap:12px;align-items:flex-start;
font:14px/1.45 system-ui,-apple-system,"Segoe UI","Apple SD Gothic Neo","Malgun Gothic",sans-serif;
color:#1f2328;background:#fff8c5;border:1px solid #d4a72c;box-shadow:0 2px 10px #0002;text-align:start;
word-break:keep-all;overflow-wrap:anywhere}
.banner{top:0;left:0;right:0;padding:10px 16px;border-width:0 0 1px;max-height:40vh;overflow:auto}
.note{bottom:16px;right:16px;max-width:min(380px,calc(100vw - 32px));padding:10px 12px;border-radius:8px;
background:#f6f8fa;border-color:#d0d7de}
.toast{top:16px;left:50%;transform:translateX(-50%);width:max-content;max-width:min(560px,calc(100vw - 32px));
padding:10px 14px;border-radius:8px;pointer-events:none}
.body{flex:1;min-width:0}
.brand{display:block;font-size:12px;opacity:.8}
.head{margin:0;font-weight:600}
ul{margin:2px 0 0;padding:0;list-style:none}
li{margin:2px 0}
b{font-weight:600}
button{all:unset;display:block;flex:none;width:28px;height:28px;border-radius:6px;cursor:pointer;
text-align:center;font:20px/28px system-ui,sans-serif;color:inherit}
button:hover{background:#0000001a}
button:focus-visible{outline:2px solid #0969da;outline-offset:1px}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
button.action{all:unset;display:inline-block;padding:4px 10px;border:1px solid #d0d7de;border-radius:6px;cursor:pointer;
font:13px/1.4 system-ui,sans-serif;color:inherit}
button.action.primary{background:#1d3f72;border-color:#1d3f72;color:#fff}
button.action:focus-visible{outline:2px solid #0969da;outline-offset:1px}
@media (prefers-color-scheme:dark){
.banner,.toast{color:#f0f6fc;background:#3b2e00;border-color:#9e6a03}
.note{color:#f0f6fc;background:#161b22;border-color:#3d444d}
button:hover{background:#ffffff26}
button:focus-visible{outline-color:#4493f8}}
`;
