namespace GaussQuant.Reports;

/// <summary>A small original/reconstruction pair with its PSNR, for the gallery of the lowest-PSNR images.</summary>
public sealed record ImageThumbnail(string Path, double Psnr, EmbeddedImage Original, EmbeddedImage Reconstruction);
