import { consoleBuild } from "./vite.shared";

export default consoleBuild("src/account/main.tsx", "../target/web/account");
