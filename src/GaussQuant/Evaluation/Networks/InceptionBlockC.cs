using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// Mixed_6b…6e: factorised 7×7 branches (1×7 and 7×1) on 17×17 maps, 768 channels in and out. As in pytorch-fid's
/// FIDInceptionC, the average pool excludes padding from its divisor.
/// </summary>
internal sealed class InceptionBlockC : InceptionBlock
{
    private readonly InceptionConvolution branch1x1, branch7x7First, branch7x7Second, branch7x7Third;
    private readonly InceptionConvolution[] branch7x7Double;
    private readonly InceptionConvolution branchPool;

    public InceptionBlockC(long inputChannels, long channels7x7) : base("FIDInceptionC")
    {
        (long, long) row = (1, 7), column = (7, 1), rowPadding = (0, 3), columnPadding = (3, 0);
        branch1x1 = Unit("branch1x1", inputChannels, 192, Square(1));
        branch7x7First = Unit("branch7x7_1", inputChannels, channels7x7, Square(1));
        branch7x7Second = Unit("branch7x7_2", channels7x7, channels7x7, row, padding: rowPadding);
        branch7x7Third = Unit("branch7x7_3", channels7x7, 192, column, padding: columnPadding);
        branch7x7Double =
        [
            Unit("branch7x7dbl_1", inputChannels, channels7x7, Square(1)),
            Unit("branch7x7dbl_2", channels7x7, channels7x7, column, padding: columnPadding),
            Unit("branch7x7dbl_3", channels7x7, channels7x7, row, padding: rowPadding),
            Unit("branch7x7dbl_4", channels7x7, channels7x7, column, padding: columnPadding),
            Unit("branch7x7dbl_5", channels7x7, 192, row, padding: rowPadding),
        ];
        branchPool = Unit("branch_pool", inputChannels, 192, Square(1));
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var doubleBranch = branch7x7Double.Aggregate(input, (hidden, unit) => unit.call(hidden));
        var pooled = avg_pool2d(input, [3, 3], [1, 1], [1, 1], count_include_pad: false);
        return cat([
            branch1x1.call(input),
            branch7x7Third.call(branch7x7Second.call(branch7x7First.call(input))),
            doubleBranch,
            branchPool.call(pooled),
        ], 1).MoveToOuterDisposeScope();
    }
}
