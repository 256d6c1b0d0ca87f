/* placeholder: being written */
#include "config.h"
#include "singly-smtp.h"
