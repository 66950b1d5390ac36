namespace GaussQuant.Pipelines;

/// <summary>A metric an evaluation report leaves out (<c>psnr</c>, <c>ssim</c>, <c>ms_ssim</c>, <c>lpips</c>, <c>rfid</c>), and why.</summary>
public sealed record NotComputedMetric(string Metric, string Reason);
