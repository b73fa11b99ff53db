"""Study mode: flashcards scheduled with FSRS, practice quizzes and progress (no Qt here)."""
