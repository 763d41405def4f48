"""What the API returns and accepts, one module per area. Output serializers read the records the selectors
give (the views prefetch what they need); input serializers check the shape, then the screen's form and the
service check the rest."""
