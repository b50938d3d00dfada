"""plandraft: drafts next year's 市民協働 action plan from last year's plan, the outline and other cities' plans."""
