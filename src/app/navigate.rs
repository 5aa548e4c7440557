//! Walking the stories of the open folder from the keyboard: Ctrl+Page Down opens the next
//! story, Ctrl+Page Up the previous one, in the folder's order (by path, as the story list
//! shows them), as editors walk their tabs, in the story view whatever view was shown. The
//! open story is saved first, as on any open.

use crate::app::dispatch::FactmarkApp;

impl FactmarkApp {
    /// Opens the story `step` places after (or before) the open one in the folder.
    pub(super) fn other_story(&mut self, step: isize) {
        let Some(workspace) = self.workspace.as_ref().and_then(|w| w.loaded()) else {
            self.info("Open a folder (Ctrl+Shift+O) to walk its stories with Ctrl+Page Down.");
            return;
        };
        let paths: Vec<_> = workspace.stories.iter().map(|s| s.path.clone()).collect();
        let current = self
            .session
            .as_ref()
            .and_then(|s| paths.iter().position(|p| *p == s.doc.story_path()));
        let next = match current {
            Some(i) => i.checked_add_signed(step).filter(|&n| n < paths.len()),
            // No story of this folder open yet: start at its first (or last) story.
            None if step > 0 => (!paths.is_empty()).then_some(0),
            None => paths.len().checked_sub(1),
        };
        match next {
            Some(n) => {
                self.view = crate::ui::workspace_view::View::Story;
                self.open_story(paths[n].clone());
            }
            None if step > 0 => self.info("This is the last story in the folder."),
            None => self.info("This is the first story in the folder."),
        }
    }
}
