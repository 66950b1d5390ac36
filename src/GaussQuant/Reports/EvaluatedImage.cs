namespace GaussQuant.Reports;

/// <summary>
/// What an evaluation remembers of every image for its page: 24 bytes, so a million images cost 24 MB. Images are
/// ordered by (<see cref="Psnr"/>, <see cref="Position"/>): the first is the worst, the last the best.
/// </summary>
/// <param name="Position">The image's place among the evaluated images (skipped inputs do not count).</param>
/// <param name="InputIndex">Its place in the input list, to read it again.</param>
/// <param name="Batch">The batch it was evaluated in (re-running that batch reproduces its reconstruction exactly).</param>
internal readonly record struct EvaluatedImage(int Position, int InputIndex, int Batch, double Psnr) : IComparable<EvaluatedImage>
{
    public int CompareTo(EvaluatedImage other)
    {
        int byPsnr = Psnr.CompareTo(other.Psnr);
        return byPsnr != 0 ? byPsnr : Position.CompareTo(other.Position);
    }
}
