import { consoleBuild } from "./vite.shared";

export default consoleBuild("src/admin/main.tsx", "../target/web/admin");
