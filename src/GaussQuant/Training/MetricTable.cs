using GaussQuant.Quantization;
using GaussQuant.Quantization.Continuous;

namespace GaussQuant.Training;

/// <summary>
/// One logged value: its <c>metrics.csv</c> column, its TensorBoard tag (null: CSV only), how to read it off a step, and
/// whether TensorBoard shows it only for steps with VF alignment (the CSV keeps 0 there, so its columns stay fixed).
/// </summary>
internal sealed record MetricColumn(string CsvName, string? TensorBoardTag, Func<TrainingStepMetrics, object> Value, bool AlignmentOnly = false);

/// <summary>
/// The one table of what a training run logs, so <c>metrics.csv</c> and TensorBoard cannot drift apart: the CSV has
/// every column in this order, TensorBoard every column with a tag plus the regularizer's terms other than its KL
/// (whose number of terms depends on the quantizer kind, so they have no fixed CSV column).
/// </summary>
internal static class MetricTable
{
    public static IReadOnlyList<MetricColumn> Columns { get; } =
    [
        new("step", null, m => m.Step),
        new("epoch", null, m => m.Epoch),
        new("phase", null, m => m.Phase == TrainingPhase.Autoencoder ? "ae" : "disc"),
        new("images_per_s", "train/images_per_s", m => m.ImagesPerSecond),
        new("loss", "train/loss/total", m => m.Loss),
        new("nll", "train/loss/nll", m => m.Nll),
        new("rec", "train/loss/rec", m => m.Reconstruction),
        new("kl_loss", "train/kl_loss", m => m.KlLoss),
        new("bits_mean", "train/bits-mean", m => m.Bits.Mean),
        new("bits_min", "train/bits-min", m => m.Bits.Min),
        new("bits_max", "train/bits-max", m => m.Bits.Max),
        new("lambda", "train/lambda", m => m.Weights.Lambda),
        new("lambda_min", "train/lambda-min", m => m.Weights.LambdaMin),
        new("lambda_max", "train/lambda-max", m => m.Weights.LambdaMax),
        new("logvar", "train/scalars/logvar", m => m.LogVariance),
        new("g_loss", "train/loss/g", m => m.GeneratorLoss),
        new("d_weight", "train/scalars/d_weight", m => m.AdaptiveWeight),
        new("disc_loss", "train/loss/disc", m => m.DiscriminatorLoss),
        new("logits_real", null, m => m.LogitsReal),
        new("logits_fake", null, m => m.LogitsFake),
        new("vf", "train/loss/vf", m => m.Alignment?.Loss ?? 0, AlignmentOnly: true),
        new("vf_distmat", "train/loss/vf_distmat", m => m.Alignment?.DistanceMatrix ?? 0, AlignmentOnly: true),
        new("vf_cos", "train/loss/vf_cos", m => m.Alignment?.Cosine ?? 0, AlignmentOnly: true),
        new("vf_weight", "train/scalars/vf_weight", m => m.Alignment?.Weight ?? 0, AlignmentOnly: true),
    ];

    /// <summary>What TensorBoard shows for one step.</summary>
    public static IEnumerable<(string Tag, float Value)> Scalars(TrainingStepMetrics metrics) =>
        Columns.Where(column => column.TensorBoardTag is not null && (metrics.Alignment is not null || !column.AlignmentOnly))
            .Select(column => (column.TensorBoardTag!, (float)(double)column.Value(metrics)))
            .Concat(metrics.RegularizationTerms.Where(term => !IsKlTerm(term.Key)).Select(term => ($"train/{term.Key}", (float)term.Value)));

    /// <summary>The KL terms have their own column (<c>kl_loss</c>); the other kinds' terms are logged under their own names.</summary>
    public static bool IsKlTerm(string name) => name is GaussianQuantizer.LossName or GaussianKlRegularizerOptions.LossName;
}
