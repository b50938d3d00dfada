"""Draft: next fiscal year's plan and its 新旧対照表 built from the matches, and written as Word."""
