using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// Mixed_5b/5c/5d: 1×1, 5×5 and double 3×3 branches plus an average-pool branch. As in pytorch-fid's
/// FIDInceptionA (the TF 2015 graph), the 3×3 average pool excludes padding from its divisor.
/// Output channels 64 + 64 + 96 + poolChannels.
/// </summary>
internal sealed class InceptionBlockA : InceptionBlock
{
    private readonly InceptionConvolution branch1x1, branch5x5First, branch5x5Second;
    private readonly InceptionConvolution branch3x3DoubleFirst, branch3x3DoubleSecond, branch3x3DoubleThird, branchPool;

    public InceptionBlockA(long inputChannels, long poolChannels) : base("FIDInceptionA")
    {
        branch1x1 = Unit("branch1x1", inputChannels, 64, Square(1));
        branch5x5First = Unit("branch5x5_1", inputChannels, 48, Square(1));
        branch5x5Second = Unit("branch5x5_2", 48, 64, Square(5), padding: Square(2));
        branch3x3DoubleFirst = Unit("branch3x3dbl_1", inputChannels, 64, Square(1));
        branch3x3DoubleSecond = Unit("branch3x3dbl_2", 64, 96, Square(3), padding: Square(1));
        branch3x3DoubleThird = Unit("branch3x3dbl_3", 96, 96, Square(3), padding: Square(1));
        branchPool = Unit("branch_pool", inputChannels, poolChannels, Square(1));
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = avg_pool2d(input, [3, 3], [1, 1], [1, 1], count_include_pad: false);
        return cat([
            branch1x1.call(input),
            branch5x5Second.call(branch5x5First.call(input)),
            branch3x3DoubleThird.call(branch3x3DoubleSecond.call(branch3x3DoubleFirst.call(input))),
            branchPool.call(pooled),
        ], 1).MoveToOuterDisposeScope();
    }
}
