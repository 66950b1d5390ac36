namespace GaussQuant.Reports;

/// <summary>A run's sample grid of one step (<c>images/step-NNNNNN.png</c>: inputs | VQ | posterior-mean reconstructions).</summary>
public sealed record SampleGrid(long Step, string Path, EmbeddedImage Image);
