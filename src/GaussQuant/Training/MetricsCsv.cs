using System.Globalization;
using System.Text;
using GaussQuant.IO;

namespace GaussQuant.Training;

/// <summary>
/// <c>metrics.csv</c>: one row per logged step with the same scalars as TensorBoard, appended as the run goes (a kill
/// can at worst cut the last row short). On resume, rows after the checkpoint's step (logged by the interrupted run,
/// and about to be logged again) and any cut row are dropped, and the file is rewritten through a temporary file, so a
/// kill during the rewrite leaves the old history whole; a missing header is restored.
/// </summary>
internal sealed class MetricsCsv
{
    private static readonly string[] Columns =
    [
        "step", "epoch", "phase", "images_per_s", "loss", "nll", "rec", "kl_loss", "bits_mean", "bits_min", "bits_max",
        "lambda", "lambda_min", "lambda_max", "logvar", "g_loss", "d_weight", "disc_loss", "logits_real", "logits_fake",
        "vf", "vf_distmat", "vf_cos", "vf_weight",
    ];

    private readonly string path;

    public MetricsCsv(string path, long? keepUpToStep)
    {
        this.path = path;
        var lines = new List<string> { string.Join(",", Columns) };
        if (keepUpToStep is long step && File.Exists(path))
            lines.AddRange(File.ReadLines(path).Where(line => IsRowUpTo(line, step)));
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
    }

    public void Append(TrainingStepMetrics m)
    {
        var values = new object[]
        {
            m.Step, m.Epoch, m.Phase == TrainingPhase.Autoencoder ? "ae" : "disc", m.ImagesPerSecond, m.Loss, m.Nll, m.Reconstruction,
            m.KlLoss, m.Bits.Mean, m.Bits.Min, m.Bits.Max, m.Weights.Lambda, m.Weights.LambdaMin, m.Weights.LambdaMax,
            m.LogVariance, m.GeneratorLoss, m.AdaptiveWeight, m.DiscriminatorLoss, m.LogitsReal, m.LogitsFake,
            m.Alignment?.Loss ?? 0, m.Alignment?.DistanceMatrix ?? 0, m.Alignment?.Cosine ?? 0, m.Alignment?.Weight ?? 0,
        };
        var line = new StringBuilder();
        foreach (var value in values)
        {
            if (line.Length > 0) line.Append(',');
            line.Append(value is double number ? number.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture));
        }
        File.AppendAllText(path, line.Append('\n').ToString());
    }

    /// <summary>A whole data row (not the header, not a row cut short by a kill) of a step at or before <paramref name="step"/>.</summary>
    private static bool IsRowUpTo(string line, long step)
    {
        var cells = line.Split(',');
        return cells.Length == Columns.Length
               && long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out long rowStep) && rowStep <= step;
    }
}
