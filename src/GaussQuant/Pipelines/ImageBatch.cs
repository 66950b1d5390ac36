using GaussQuant.Imaging;

namespace GaussQuant.Pipelines;

/// <summary>Images that go through the model together, with the files they came from.</summary>
/// <param name="Consumed">Inputs read so far, this batch and skipped ones included (for progress).</param>
internal sealed record ImageBatch(IReadOnlyList<string> Files, IReadOnlyList<RgbImage> Images, int Consumed);
