// libwebrtc as a WHIP publisher: node publish.mjs WHIP_URL STREAM_KEY SECONDS
// A synthetic I420 test pattern through libwebrtc's own encoder, packetiser, RTX and RTCP.
import wrtc from "@roamhq/wrtc";

const [url, key, seconds = "8"] = process.argv.slice(2);
const { RTCPeerConnection, nonstandard } = wrtc;
const width = 320;
const height = 240;

const source = new nonstandard.RTCVideoSource();
const track = source.createTrack();
const pc = new RTCPeerConnection({ iceServers: [] });
pc.addTransceiver(track, { direction: "sendonly" });
pc.onconnectionstatechange = () => console.log(`STATE ${pc.connectionState}`);

let count = 0;
const frame = new Uint8ClampedArray(width * height * 1.5);
const timer = setInterval(() => {
  const y = width * height;
  for (let i = 0; i < y; i += 1) frame[i] = ((i % width) + count * 4) & 0xff;
  frame.fill(128, y);
  source.onFrame({ width, height, data: frame });
  count += 1;
}, 1000 / 30);

await pc.setLocalDescription(await pc.createOffer());
await new Promise((resolve) => {
  if (pc.iceGatheringState === "complete") return resolve();
  pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && resolve();
  setTimeout(resolve, 2000);
});
const response = await fetch(url, {
  method: "POST",
  headers: { "Content-Type": "application/sdp", Authorization: `Bearer ${key}` },
  body: pc.localDescription.sdp,
});
if (response.status !== 201) {
  console.log(`REFUSED ${response.status} ${await response.text()}`);
  process.exit(2);
}
const location = new URL(response.headers.get("Location"), url).toString();
await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
console.log("ANSWERED");
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
clearInterval(timer);
const deleted = await fetch(location, { method: "DELETE", headers: { Authorization: `Bearer ${key}` } });
console.log(`DELETED ${deleted.status}`);
track.stop();
pc.close();
process.exit(0);
