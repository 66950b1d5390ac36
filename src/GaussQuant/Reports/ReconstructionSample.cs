namespace GaussQuant.Reports;

/// <summary>
/// One evaluated image shown in full on the page: the preprocessed original, its reconstruction (clamped and rounded
/// to 8 bits as saved images are), the absolute-error heat map (<see cref="ErrorHeatMap"/>), and its metrics as the
/// evaluation measured them. <see cref="Ssim"/> is null where SSIM was not computed (images under 11 px).
/// </summary>
public sealed record ReconstructionSample(
    string Role, string Path, double Psnr, double? Ssim,
    EmbeddedImage Original, EmbeddedImage Reconstruction, EmbeddedImage Error);
