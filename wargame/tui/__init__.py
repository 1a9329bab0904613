"""The Textual shell: screens, widgets and one stylesheet. All game logic is in the engine."""
