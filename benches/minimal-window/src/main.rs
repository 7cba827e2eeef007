//! A minimal Tauri 2 window: the page in `dist/`, nothing else.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the window could not be started");
}
